# "Deep Learning with PyTorch: A 60 Minute Blitz", neural networks: LeNet, its parameters, a forward
# and backward, the loss and its grad_fn chain, and updating the weights by hand and with optim.SGD.
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

torch.manual_seed(0)


# %% define the network
class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        # 1 input image channel, 6 output channels, 5x5 square convolution kernel
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        # an affine operation: y = Wx + b
        self.fc1 = nn.Linear(16 * 5 * 5, 120)  # 5*5 from image dimension
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, input):
        # Convolution layer C1: 1 input image channel, 6 output channels, 5x5 kernel, ReLU
        c1 = F.relu(self.conv1(input))
        # Subsampling layer S2: 2x2 grid, purely functional
        s2 = F.max_pool2d(c1, (2, 2))
        # Convolution layer C3: 6 input channels, 16 output channels, 5x5 kernel, ReLU
        c3 = F.relu(self.conv2(s2))
        # Subsampling layer S4: 2x2 grid (a single number for a square size)
        s4 = F.max_pool2d(c3, 2)
        # Flatten operation: purely functional, outputs a (N, 400) Tensor
        s4 = torch.flatten(s4, 1)
        # Fully connected layers F5, F6 with ReLU, and the output layer
        f5 = F.relu(self.fc1(s4))
        f6 = F.relu(self.fc2(f5))
        output = self.fc3(f6)
        return output


net = Net()
print(net)

# %% learnable parameters
params = list(net.parameters())
print(len(params))
print(params[0].size())  # conv1's .weight
print([tuple(p.shape) for p in params])
print(sum(p.numel() for p in params))
print(net.conv1.bias)

# %% forward a random 32x32 input
input = torch.randn(1, 1, 32, 32)
out = net(input)
print(out)

# %% zero the gradients and backprop with random gradients
net.zero_grad()
out.backward(torch.randn(1, 10))
print(net.fc3.bias.grad)
print(net.conv1.weight.grad[0, 0, 0])

# %% loss function
output = net(input)
target = torch.randn(10)  # a dummy target, for example
target = target.view(1, -1)  # make it the same shape as output
criterion = nn.MSELoss()

loss = criterion(output, target)
print(loss)

# %% walking the graph backwards
print(loss.grad_fn)  # MSELoss
print(loss.grad_fn.next_functions[0][0])  # Linear
print(loss.grad_fn.next_functions[0][0].next_functions[0][0])  # ReLU
print(loss.grad_fn.next_functions[0][0].next_functions)
node, names = loss.grad_fn, []
while node is not None:  # follow the first input that has a graph behind it, down to conv1
    names.append(type(node).__name__)
    last = node
    node = next((n for n, _ in node.next_functions if n is not None and n.next_functions), None)
print(" <- ".join(names))
print(last.next_functions)

# %% backprop
net.zero_grad()  # zeroes the gradient buffers of all parameters

print("conv1.bias.grad before backward")
print(net.conv1.bias.grad)

loss.backward()

print("conv1.bias.grad after backward")
print(net.conv1.bias.grad)

# %% update the weights by hand: weight = weight - learning_rate * gradient
learning_rate = 0.01
for f in net.parameters():
    f.data.sub_(f.grad.data * learning_rate)
print(criterion(net(input), target))

# %% update the weights with torch.optim
optimizer = optim.SGD(net.parameters(), lr=0.01)
for step in range(5):
    optimizer.zero_grad()  # zero the gradient buffers
    output = net(input)
    loss = criterion(output, target)
    loss.backward()
    optimizer.step()  # does the update
    print(step, loss.item())
print(net(input))
print(net.conv1.bias)
